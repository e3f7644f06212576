#!/bin/bash
# Run one of Siaga's systemd services in the foreground where systemd does not run (a container, a chroot,
# a test machine), applying what the unit says: EnvironmentFile=, Environment=, User=, Group=,
# WorkingDirectory=, RuntimeDirectory= (created empty, as systemd does) and ExecStart=, with the specifiers
# %i (instance), %H (host name) and %% replaced. The sandboxing lines (PrivateTmp=, ProtectSystem=, ...)
# and Restart= are not applied: run it under a supervisor if it must come back after a crash.
#
#   deploy/run-unit.sh /etc/systemd/system/siaga-web@.service 8001      # = systemctl start siaga-web@8001
#   deploy/run-unit.sh /etc/systemd/system/siaga-worker@.service 1      # = systemctl start siaga-worker@1
#   deploy/run-unit.sh /etc/systemd/system/siaga-retention.service      # = systemctl start siaga-retention
#
# Run it as root (it drops to User= with setpriv). Commands are split on spaces (no quoting), which is all
# Siaga's units use.
set -euo pipefail

unit=${1:?usage: run-unit.sh UNIT_FILE [INSTANCE]}
instance=${2:-}
host=$(hostname)

expand() {  # systemd specifiers used by Siaga's units
    local value=${1//%%/$'\x01'}
    value=${value//%i/$instance}
    value=${value//%I/$instance}
    value=${value//%H/$host}
    printf '%s' "${value//$'\x01'/%}"
}

user=root group="" workdir=/ exec_start="" runtime_dirs=() file_envs=()
envs=("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "LANG=${LANG:-C.UTF-8}")
section=""
while IFS= read -r line || [[ -n $line ]]; do
    line=${line#"${line%%[![:space:]]*}"}
    [[ -z $line || $line == \#* || $line == \;* ]] && continue
    if [[ $line == \[*\] ]]; then section=$line; continue; fi
    [[ $section == "[Service]" ]] || continue
    key=${line%%=*} value=$(expand "${line#*=}")
    case $key in
        User) user=$value ;;
        Group) group=$value ;;
        WorkingDirectory) workdir=${value#-} ;;
        Environment) envs+=("$value") ;;
        RuntimeDirectory) read -ra dirs <<<"$value"; runtime_dirs+=("${dirs[@]}") ;;
        ExecStart) exec_start=${value#[-@+!]} ;;
        EnvironmentFile)
            file=${value#-}
            if [[ ! -r $file ]]; then [[ $value == -* ]] && continue; echo "cannot read $file" >&2; exit 1; fi
            while IFS= read -r entry || [[ -n $entry ]]; do
                entry=${entry#"${entry%%[![:space:]]*}"}
                [[ -z $entry || $entry == \#* || $entry == \;* || $entry != *=* ]] && continue
                name=${entry%%=*} val=${entry#*=}
                if [[ $val == \"*\" || $val == \'*\' ]]; then val=${val:1:-1}; fi
                file_envs+=("$name=$val")  # systemd: EnvironmentFile= overrides Environment=
            done <"$file"
            ;;
    esac
done <"$unit"

[[ -n $exec_start ]] || { echo "$unit has no ExecStart=" >&2; exit 1; }
group=${group:-$(id -gn "$user")}
home=$(getent passwd "$user" | cut -d: -f6)
envs+=("${file_envs[@]}" "USER=$user" "LOGNAME=$user" "HOME=${home:-/}")
for dir in "${runtime_dirs[@]}"; do
    rm -rf "/run/$dir" && install -d -o "$user" -g "$group" -m 0755 "/run/$dir"
    envs+=("RUNTIME_DIRECTORY=/run/$dir")
done
read -ra command <<<"$exec_start"
cd "$workdir"
exec setpriv --reuid="$user" --regid="$group" --init-groups env -i "${envs[@]}" "${command[@]}"
