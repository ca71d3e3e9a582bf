#!/usr/bin/env bash
# Starts the real servers the tests drive, on loopback, and prints the environment the tests read (eval it).
# Each server's PID goes to $LSA_SERVERS_DIR/pids; scripts/stop-test-servers.sh stops them by PID.
#   s3rver (npm), credentials S3RVER/S3RVER, bucket lsa-test -> LSA_S3_ENDPOINT, LSA_S3_BUCKET
#   azurite (npm), the well-known development account -> LSA_AZURE_ENDPOINT, LSA_AZURE_ACCOUNT, LSA_AZURE_KEY
#   nats-server with JetStream (Debian), user lsa / password lsa-secret -> LSA_NATS_URL
#   openssh-server's sshd (Debian), own config, key login only -> LSA_SFTP_URL, LSA_SFTP_KEY, LSA_SFTP_HOST_KEY
#   apache2 with mod_dav_fs (Debian), own config, basic auth dav/dav-secret -> LSA_WEBDAV_URL, LSA_WEBDAV_USER, LSA_WEBDAV_PASSWORD
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
state="${LSA_SERVERS_DIR:?set LSA_SERVERS_DIR to a scratch folder}"
mkdir -p "$state/s3" "$state/nats"
bin="$root/.tools/node_modules/.bin"

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
tcp_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# wait_for NAME LOG CHECK...: up to 60 s for CHECK to succeed, else the server's log and a failure.
wait_for() {
  local name=$1 log=$2; shift 2
  for _ in $(seq 600); do "$@" && return 0; sleep 0.1; done
  echo "$name did not start: $(cat "$log")" >&2
  exit 1
}

s3_port="$(free_port)"
"$bin/s3rver" -d "$state/s3" -a 127.0.0.1 -p "$s3_port" --silent --configure-bucket lsa-test >"$state/s3rver.log" 2>&1 &
echo $! >> "$state/pids"

azure_port="$(free_port)"
"$bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$azure_port" --inMemoryPersistence --silent --skipApiVersionCheck --loose \
  --disableTelemetry >"$state/azurite.log" 2>&1 &
echo $! >> "$state/pids"

nats_port="$(free_port)"
/usr/sbin/nats-server -a 127.0.0.1 -p "$nats_port" -js -sd "$state/nats" --user lsa --pass lsa-secret >"$state/nats.log" 2>&1 &
echo $! >> "$state/pids"

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

# Apache's workers run as www-data: the folders on the way to the data must let it through.
dav="$state/dav"
mkdir -p "$dav/data" "$dav/lock"
chmod o+x "$state" "$(dirname "$state")"
[ "$(id -u)" -eq 0 ] && chown www-data:www-data "$dav/data" "$dav/lock"
htpasswd -bc "$dav/htpasswd" dav dav-secret >/dev/null 2>&1
dav_port="$(free_port)"
cat > "$dav/httpd.conf" <<CONFIG
ServerRoot /usr/lib/apache2
ServerName 127.0.0.1
Listen 127.0.0.1:$dav_port
PidFile $dav/httpd.pid
ErrorLog $dav/error.log
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule authn_core_module /usr/lib/apache2/modules/mod_authn_core.so
LoadModule authn_file_module /usr/lib/apache2/modules/mod_authn_file.so
LoadModule authz_user_module /usr/lib/apache2/modules/mod_authz_user.so
LoadModule auth_basic_module /usr/lib/apache2/modules/mod_auth_basic.so
LoadModule dav_module /usr/lib/apache2/modules/mod_dav.so
LoadModule dav_fs_module /usr/lib/apache2/modules/mod_dav_fs.so
User www-data
Group www-data
DavLockDB $dav/lock/DavLock
DocumentRoot $dav/data
<Directory $dav/data>
  Dav On
  AuthType Basic
  AuthName dav
  AuthUserFile $dav/htpasswd
  Require valid-user
</Directory>
CONFIG
/usr/sbin/apache2 -f "$dav/httpd.conf" -DFOREGROUND >"$state/apache2.log" 2>&1 &
echo $! >> "$state/pids"

wait_for s3rver "$state/s3rver.log" curl -sf -o /dev/null "http://127.0.0.1:$s3_port/"
wait_for nats-server "$state/nats.log" tcp_open "$nats_port"
wait_for sshd "$state/sshd.log" tcp_open "$sftp_port"
wait_for apache2 "$state/apache2.log" tcp_open "$dav_port"
wait_for azurite "$state/azurite.log" tcp_open "$azure_port"

printf 'export LSA_SFTP_URL=%q LSA_SFTP_KEY=%q LSA_SFTP_HOST_KEY=%q\n' \
  "sftp://$(id -un)@127.0.0.1:$sftp_port$sftp/data" "$sftp/client_ed25519" "$(cut -d' ' -f1,2 "$sftp/host_ed25519.pub")"
echo "export LSA_S3_ENDPOINT=http://127.0.0.1:$s3_port LSA_S3_BUCKET=lsa-test LSA_NATS_URL=nats://lsa:lsa-secret@127.0.0.1:$nats_port"
echo "export LSA_AZURE_ENDPOINT=http://127.0.0.1:$azure_port/devstoreaccount1 LSA_AZURE_ACCOUNT=devstoreaccount1"
echo "export LSA_AZURE_KEY=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
echo "export LSA_WEBDAV_URL=http://127.0.0.1:$dav_port LSA_WEBDAV_USER=dav LSA_WEBDAV_PASSWORD=dav-secret"
