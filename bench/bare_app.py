"""The reference for bench/pages.py: a bare Flask view that renders the same 200 posts from
an in-memory list, with no database, no session, no login and no CSRF."""
from datetime import datetime, timezone

from flask import Flask, render_template_string

from forum.content import render

POSTS = [
    {"id": i, "author": f"Member{i % 17}", "created_at": datetime.now(timezone.utc), "depth": min(i % 8, 6),
     "body_html": render(f"Reply number {i}. **Thank you** for sharing, it helps to know I'm not alone. " * 3)}
    for i in range(200)
]
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Thread · Lantern</title>
<link rel="stylesheet" href="/static/style.css"></head><body><main><h1>A thread</h1>
{% for post in posts %}<article class="post depth-{{ post.depth }}" id="p{{ post.id }}">
<header><span class="author">{{ post.author }}</span>
<time datetime="{{ post.created_at.isoformat() }}">{{ post.created_at.strftime('%-d %b %Y, %H:%M') }} UTC</time></header>
<div class="post-body">{{ post.body_html|safe }}</div>
<ul class="reactions">{% for kind in ("Hug", "Me too", "Strength", "Thanks") %}<li>{{ kind }} 0</li>{% endfor %}</ul>
</article>{% endfor %}</main></body></html>"""

app = Flask(__name__)


@app.get("/thread")
def thread():
    return render_template_string(PAGE, posts=POSTS)
