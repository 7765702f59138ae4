"""What the benchmarks and the test suite share to measure the portal as
deployed: serving it (a throwaway database, gunicorn, Celery workers) and the
figures of a series of measures. It imports no app: any app's benchmark
command may use it."""
