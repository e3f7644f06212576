"""gunicorn settings for Siaga (used by deploy/systemd/siaga-web@.service and the container)."""

import os

bind = os.environ.get("SIAGA_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SIAGA_WEB_WORKERS", "4"))
threads = int(os.environ.get("SIAGA_WEB_THREADS", "2"))
timeout = 60
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
forwarded_allow_ips = os.environ.get("SIAGA_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket (gunicornc): in the unit's own RuntimeDirectory (/run/siaga-web-PORT), one per
# instance. Its default, $HOME/.gunicorn, is /opt/siaga/.gunicorn: not writable by the siaga user, and it
# would be shared by siaga-web@8001 and @8002. Elsewhere (the container) there is none.
if os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(os.environ["RUNTIME_DIRECTORY"].split(":")[0], "gunicorn.ctl")
else:
    control_socket_disable = True


def child_exit(server, worker):
    """Let prometheus_client drop a dead worker's live gauges (multi-process mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
