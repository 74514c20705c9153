"""The on-call pager: a JSON POST, retried with backoff until it is accepted."""
import logging
import time

import requests

log = logging.getLogger(__name__)


def deliver(url, payload, attempts=4, backoff=0.5, timeout=5):
    """POST payload to url; retry on errors and 5xx. True once a 2xx arrives."""
    for attempt in range(1, attempts + 1):
        try:
            response = requests.post(url, json=payload, timeout=timeout)
            if response.ok:
                return True
            log.warning("escalation webhook answered %s (attempt %d/%d)", response.status_code, attempt, attempts)
        except requests.RequestException as error:
            log.warning("escalation webhook failed: %s (attempt %d/%d)", error, attempt, attempts)
        if attempt < attempts:
            time.sleep(backoff * 2 ** (attempt - 1))
    log.error("escalation webhook gave up after %d attempts for flag %s", attempts, payload.get("flag_id"))
    return False
