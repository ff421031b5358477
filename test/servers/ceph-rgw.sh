#!/usr/bin/env bash
# Ceph RADOS Gateway for the S3 tests: 1 monitor, 1 in-memory OSD (memstore), no cephx,
# radosgw on 127.0.0.1:$RGW_PORT with an S3 user test/test. Everything lives under $BASE.
#
#   ceph-rgw.sh install      apt-get the Debian packages if radosgw is missing
#   ceph-rgw.sh start        install if needed, start unless already answering (idempotent)
#   ceph-rgw.sh start-rgw    (re)start only radosgw, e.g. after a test killed it
#   ceph-rgw.sh stop         stop every daemon started from $BASE
#   ceph-rgw.sh status       exit 0 if radosgw answers
set -euo pipefail
BASE=${BASE:-/tmp/cdp-parquet-ceph}
RGW_PORT=${RGW_PORT:-7480}
MON_PORT=${MON_PORT:-3300}
CONF=$BASE/ceph.conf
URL=http://127.0.0.1:$RGW_PORT/

log() { echo "[ceph-rgw] $*" >&2; }
answering() { curl -s -o /dev/null --max-time 2 "$URL"; }

install() {
  if command -v radosgw >/dev/null && command -v ceph-mon >/dev/null && command -v ceph-osd >/dev/null; then return; fi
  log "installing radosgw ceph-mon ceph-osd from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends radosgw ceph-mon ceph-osd curl >/dev/null
}

write_conf() {
  local fsid=$1
  # crc messenger modes and "mon data avail crit = 1" are needed in these containers: secure
  # mode fails without cephx keys and a nearly full overlay disk would stop the monitor.
  cat > "$CONF" <<EOC
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
ms client mode = crc
ms mon service mode = crc
ms mon cluster mode = crc
ms service mode = crc
ms cluster mode = crc
keyring = $BASE/keyring
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon data avail warn = 1
mon data avail crit = 1
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
osd objectstore = memstore
memstore device bytes = 4294967296
mon data = $BASE/mon.\$id
osd data = $BASE/osd.\$id
run dir = $BASE/run
admin socket = $BASE/run/\$name.asok
pid file = $BASE/run/\$name.pid
log file = $BASE/log/\$name.log
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw data = $BASE/rgw
# Deleted and overwritten objects keep their data until RGW's garbage collector runs (hourly by
# default); on an in-memory OSD that soon fills the device and then every write blocks.
rgw gc obj min wait = 0
rgw gc processor period = 10
rgw gc processor max time = 10
EOC
}

wait_rgw() {
  for _ in $(seq 1 600); do answering && return 0; sleep 0.1; done
  log "radosgw did not answer on $URL within 60 s; last log lines:"; tail -n 30 "$BASE/log/client.rgw.a.log" >&2 || true
  return 1
}

start_rgw() {
  stop_one client.rgw.a
  radosgw -c "$CONF" -n client.rgw.a
  wait_rgw
}

stop_one() {
  local pidfile=$BASE/run/$1.pid
  [ -f "$pidfile" ] || return 0
  local pid; pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -CONT "$pid" 2>/dev/null || true   # a paused daemon cannot handle SIGTERM
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

start() {
  if answering; then log "already answering on $URL"; return; fi
  install
  stop
  rm -rf "$BASE"; mkdir -p "$BASE"/{mon.a,osd.0,run,log,rgw}
  local fsid osd_uuid
  fsid=$(cat /proc/sys/kernel/random/uuid)
  write_conf "$fsid"
  ceph-authtool --create-keyring "$BASE/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  monmaptool --create --addv a "[v2:127.0.0.1:$MON_PORT]" --fsid "$fsid" "$BASE/monmap" >/dev/null
  ceph-mon -c "$CONF" --mkfs -i a --monmap "$BASE/monmap" --keyring "$BASE/keyring"
  ceph-mon -c "$CONF" -i a
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  ceph -c "$CONF" osd new "$osd_uuid" >/dev/null
  ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" 2>/dev/null
  ceph-osd -c "$CONF" -i 0
  radosgw -c "$CONF" -n client.rgw.a
  ceph -c "$CONF" config set mon mon_warn_on_pool_no_redundancy false >/dev/null 2>&1 || true
  wait_rgw
  radosgw-admin -c "$CONF" user create --uid=test --display-name=test --access-key=test --secret-key=test >/dev/null
  log "ready on $URL (access key test / secret test)"
}

stop() {
  [ -d "$BASE/run" ] || return 0
  stop_one client.rgw.a; stop_one osd.0; stop_one mon.a
}

case "${1:-start}" in
  install) install ;;
  start) start ;;
  start-rgw) start_rgw ;;
  stop) stop ;;
  status) answering ;;
  *) echo "usage: $0 install|start|start-rgw|stop|status" >&2; exit 2 ;;
esac
