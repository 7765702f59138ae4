import pytest


@pytest.fixture(autouse=True)
def _empty_cache():
    """Not here: the smoke test looks at a running stack from outside, and that
    stack's cache (beat's trace of its last run, the lockout counters) is the
    stack's. Emptying it, as every other test does with its own, made the
    health check report beat as never run until beat recorded again (every
    30 s), so the test failed when it finished sooner."""
    return None
