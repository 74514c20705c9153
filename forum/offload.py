"""Run CPU-bound work in a native thread, so one request does not stall the others.

Under gevent (the default server) or eventlet every request and Socket.IO event of a process
shares one OS thread: while one greenlet computes, none of the others run. Screening a long
post with the learned model takes tens of milliseconds of pure computation (onnxruntime
releases the GIL while it runs), so it goes to the async library's thread pool and the other
members' requests and chat keep flowing. Under plain threads (tests, `flask run`) it runs
in place.
"""
import sys


def run_blocking(function, *args):
    """function(*args), run where it cannot block the other greenlets of this process."""
    if "gevent" in sys.modules:
        from gevent import get_hub, monkey

        if monkey.is_module_patched("threading"):
            return get_hub().threadpool.apply(function, args)
    if "eventlet" in sys.modules:
        from eventlet import patcher, tpool

        if patcher.is_monkey_patched("thread"):
            return tpool.execute(function, *args)
    return function(*args)
