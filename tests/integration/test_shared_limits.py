"""With Redis configured, rate limits hold across server processes."""
import pytest
import redis

from tests.helpers import REDIS_URL, empty_redis, login, signup

pytestmark = pytest.mark.services


@pytest.fixture
def redis_url():
    yield empty_redis(REDIS_URL)
    redis.Redis.from_url(REDIS_URL).flushdb()


def test_failed_logins_count_across_processes(make_app, redis_url):
    # Two apps sharing one Redis stand for two server processes behind a load balancer.
    first = make_app(RATELIMIT_STORAGE_URI=redis_url, LIMIT_LOGIN_FAILURES="3 per minute")
    signup(first.test_client(), "QuietHeron42")
    for _ in range(2):
        assert login(first.test_client(), "QuietHeron42", "wrong passphrase").status_code == 401
    second = make_app(RATELIMIT_STORAGE_URI=redis_url, LIMIT_LOGIN_FAILURES="3 per minute")
    assert login(second.test_client(), "QuietHeron42", "wrong passphrase").status_code == 401
    assert login(first.test_client(), "QuietHeron42", "wrong passphrase").status_code == 429
    keys = redis.Redis.from_url(redis_url).keys("*LIMIT_LOGIN_FAILURES*")
    assert keys, "the counters live in Redis"
