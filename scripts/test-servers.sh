#!/usr/bin/env bash
# Starts the real servers the tests drive, on loopback, and prints the environment the tests read (eval it).
# Each server's PID goes to $LSA_SERVERS_DIR/pids; scripts/stop-test-servers.sh stops them by PID.
#   s3rver (npm), credentials S3RVER/S3RVER, bucket lsa-test -> LSA_S3_ENDPOINT, LSA_S3_BUCKET
#   nats-server with JetStream (Debian), user lsa / password lsa-secret -> LSA_NATS_URL
#   openssh-server's sshd (Debian), own config, key login only -> LSA_SFTP_URL, LSA_SFTP_KEY, LSA_SFTP_HOST_KEY
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
state="${LSA_SERVERS_DIR:?set LSA_SERVERS_DIR to a scratch folder}"
mkdir -p "$state/s3" "$state/nats"

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

s3_port="$(free_port)"
"$root/.tools/node_modules/.bin/s3rver" -d "$state/s3" -a 127.0.0.1 -p "$s3_port" --silent --configure-bucket lsa-test \
  >"$state/s3rver.log" 2>&1 &
echo $! >> "$state/pids"
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$s3_port/" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$s3_port/" >/dev/null || { echo "s3rver did not start: $(cat "$state/s3rver.log")" >&2; exit 1; }
nats_port="$(free_port)"
/usr/sbin/nats-server -a 127.0.0.1 -p "$nats_port" -js -sd "$state/nats" --user lsa --pass lsa-secret >"$state/nats.log" 2>&1 &
echo $! >> "$state/pids"
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null && break
  sleep 0.1
done
(exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null || { echo "nats-server did not start: $(cat "$state/nats.log")" >&2; exit 1; }

sftp="$state/sftp"
mkdir -p "$sftp/data" /run/sshd
ssh-keygen -q -t ed25519 -N "" -f "$sftp/host_ed25519"
ssh-keygen -q -t ed25519 -N "" -f "$sftp/client_ed25519"
cp "$sftp/client_ed25519.pub" "$sftp/authorized_keys"; chmod 600 "$sftp/authorized_keys"
sftp_port="$(free_port)"
cat > "$sftp/sshd_config" <<CONFIG
ListenAddress 127.0.0.1
Port $sftp_port
HostKey $sftp/host_ed25519
PidFile $sftp/sshd.pid
AuthorizedKeysFile $sftp/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
CONFIG
/usr/sbin/sshd -D -e -f "$sftp/sshd_config" >"$state/sshd.log" 2>&1 &
echo $! >> "$state/pids"
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$sftp_port") 2>/dev/null && break
  sleep 0.1
done
(exec 3<>"/dev/tcp/127.0.0.1/$sftp_port") 2>/dev/null || { echo "sshd did not start: $(cat "$state/sshd.log")" >&2; exit 1; }
printf 'export LSA_SFTP_URL=%q LSA_SFTP_KEY=%q LSA_SFTP_HOST_KEY=%q\n' \
  "sftp://$(id -un)@127.0.0.1:$sftp_port$sftp/data" "$sftp/client_ed25519" "$(cut -d' ' -f1,2 "$sftp/host_ed25519.pub")"

echo "export LSA_S3_ENDPOINT=http://127.0.0.1:$s3_port LSA_S3_BUCKET=lsa-test LSA_NATS_URL=nats://lsa:lsa-secret@127.0.0.1:$nats_port"
