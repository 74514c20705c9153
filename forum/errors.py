"""Error pages in plain words: every failure a member can cause ends here as a 4xx."""
from flask import render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: ("Something in that request didn't look right", "Please go back and try again."),
    403: ("That isn't yours to change", "You can only change things you wrote yourself."),
    404: ("We couldn't find that page", "It may have been moved or removed."),
    405: ("That doesn't work here", "Please go back and use the page's own buttons."),
    409: ("That can't be done right now", "Please reload the page and try again."),
    410: ("This has been removed", "Its author removed it."),
    413: ("That was too much to send at once", "Please make it shorter and try again."),
    429: ("Let's slow down a little", "Please wait a moment and try again."),
}


def render_error(status, title=None, detail=None):
    default_title, default_detail = MESSAGES.get(status, ("Something went wrong", "Please try again."))
    return render_template("error.html", status=status, title=title or default_title,
                           detail=detail or default_detail), status


def register(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, "This form has expired",
                            "Please go back, reload the page and send it again. Nothing was posted.")

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code is None or error.code < 400 or error.code >= 500:
            return error
        if request.path.startswith("/socket.io"):
            return error
        return render_error(error.code)
