#!/usr/bin/env bash
# Start a throwaway single-node Slurm cluster (slurmctld + slurmd + slurmdbd on MariaDB, munge auth)
# whose every file lives under DIR; tests/test_slurm.py uses it. Needs root and Debian's slurm-wlm,
# slurmdbd, mariadb-server and munge. Stop it with stop_cluster.sh DIR.
#   start_cluster.sh DIR PORT_BASE
set -euo pipefail
dir=$1
base=${2:-16800}
mkdir -p "$dir"/{db,state,spool,log,run}
host=$(hostname -s)

# munge: the shared key comes with the package; start the daemon unless one runs already
if ! pgrep -x munged >/dev/null; then
    mkdir -p /run/munge && chown munge:munge /run/munge
    su -s /bin/sh munge -c /usr/sbin/munged
    echo "started" > "$dir/run/munged.ours"
fi

# MariaDB for slurmdbd, on its own data folder and a local port
mariadb-install-db --datadir="$dir/db" --user=root --auth-root-authentication-method=normal >"$dir/log/mariadb-install.log" 2>&1
mariadbd --datadir="$dir/db" --user=root --socket="$dir/run/mysql.sock" --port=$((base + 6)) \
    --bind-address=127.0.0.1 --pid-file="$dir/run/mariadb.pid" --log-error="$dir/log/mariadb.log" &
for _ in $(seq 120); do
    mariadb -S "$dir/run/mysql.sock" -uroot -e "select 1" >/dev/null 2>&1 && break
    sleep 0.5
done
mariadb -S "$dir/run/mysql.sock" -uroot -e \
    "CREATE USER 'slurm'@'127.0.0.1' IDENTIFIED BY 'slurm'; GRANT ALL ON *.* TO 'slurm'@'127.0.0.1'; FLUSH PRIVILEGES;"

cat >"$dir/slurmdbd.conf" <<EOC
AuthType=auth/munge
DbdHost=localhost
DbdPort=$((base + 9))
SlurmUser=root
LogFile=$dir/log/slurmdbd.log
PidFile=$dir/run/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$((base + 6))
StorageUser=slurm
StoragePass=slurm
StorageLoc=slurm_acct_db
EOC
chmod 600 "$dir/slurmdbd.conf"

# one node with every CPU, 8 GB and one GPU slot (a count-only GRES on /dev/null, so rules that ask
# for gpu=1 get scheduled the way they would on a GPU node)
cat >"$dir/slurm.conf" <<EOC
ClusterName=hw2test
SlurmctldHost=$host
SlurmctldPort=$((base + 7))
SlurmdPort=$((base + 8))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
GresTypes=gpu
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePort=$((base + 9))
AccountingStorageTRES=gres/gpu
JobAcctGatherType=jobacct_gather/none
ReturnToService=2
NodeName=$host CPUs=$(nproc) RealMemory=8000 Gres=gpu:1 State=UNKNOWN
PartitionName=hw2 Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOC
echo "Name=gpu File=/dev/null" >"$dir/gres.conf"
export SLURM_CONF="$dir/slurm.conf"

slurmdbd
for _ in $(seq 60); do
    sacctmgr -n list cluster >/dev/null 2>&1 && break
    sleep 0.5
done
sacctmgr -i add cluster hw2test >/dev/null
sacctmgr -i add account hw2 >/dev/null
sacctmgr -i add user root account=hw2 >/dev/null
slurmctld
slurmd
for _ in $(seq 120); do
    sinfo -h -o %T 2>/dev/null | grep -qx idle && exit 0
    sleep 0.5
done
echo "error: the Slurm node did not become idle; see $dir/log" >&2
exit 1
