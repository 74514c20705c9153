"""One way to guard a view: anonymous visitors log in first; others may be refused, with
the reason shown in plain words."""
from functools import wraps

from flask import redirect, request, url_for
from flask_login import current_user

from .errors import render_error


def require(refusal, title):
    """Decorate a view so it runs only when `refusal(current_user)` returns None; any other
    return value is the explanation on a 403 page headed `title`."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("accounts.login", next=request.path))
            if reason := refusal(current_user):
                return render_error(403, title, reason)
            return view(*args, **kwargs)
        return wrapped
    return decorator
