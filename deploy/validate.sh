#!/usr/bin/env bash
# Checks the deployment files on a machine without Docker or Kubernetes: every YAML file parses,
# and nginx accepts the load balancer's configuration (`nginx -t`, with the compose service names
# pointed at 127.0.0.1 because nginx resolves upstream hosts when it loads a configuration).
# The structural checks (probes, non-root user, secrets, config accepted by the gateway) are
# DeploymentFilesTest in the gateway module. Usage: deploy/validate.sh  (needs python3-yaml, nginx)
set -euo pipefail
cd "$(dirname "$0")/.."

python3 - <<'PY'
import glob, yaml
files = ["docker-compose.yml", "deploy/compose/gateway.yaml"] + sorted(glob.glob("k8s/*.yaml"))
for f in files:
    with open(f) as fh:
        docs = [d for d in yaml.safe_load_all(fh) if d is not None]
    print(f"ok  {f}: {len(docs)} document(s)")
PY

nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
if [[ ! -x "$nginx_bin" ]]; then
  echo "nginx not found: apt-get install nginx-light (Debian) to check deploy/nginx/gateway.conf" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -e 's/gateway1:8080/127.0.0.1:18081/; s/gateway2:8080/127.0.0.1:18082/' \
  deploy/nginx/gateway.conf > "$work/gateway.conf"
cat > "$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/error.log;
events {}
http {
  access_log off;
  client_body_temp_path $work;
  proxy_temp_path $work;
  include $work/gateway.conf;
}
CONF
"$nginx_bin" -t -q -c "$work/nginx.conf" -p "$work" && echo "ok  deploy/nginx/gateway.conf (nginx -t, $("$nginx_bin" -v 2>&1))"
