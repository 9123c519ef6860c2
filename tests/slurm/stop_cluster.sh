#!/usr/bin/env bash
# Stop what start_cluster.sh DIR started (also after a failed start).
dir=$1
for name in slurmd slurmctld slurmdbd mariadb; do
    if [ -f "$dir/run/$name.pid" ]; then
        kill "$(cat "$dir/run/$name.pid")" 2>/dev/null || true
    fi
done
pkill -f "mariadbd --datadir=$dir/db" 2>/dev/null || true
if [ -f "$dir/run/munged.ours" ]; then
    pkill -x munged 2>/dev/null || true
fi
# wait until they are gone, so that a following start finds the ports free
for _ in $(seq 40); do
    running=0
    for name in slurmctld slurmd slurmdbd mariadbd; do
        pgrep -x "$name" >/dev/null && running=1
    done
    [ "$running" = 0 ] && break
    sleep 0.5
done
exit 0
