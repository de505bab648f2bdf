# bash completion for tcpdrop(8): options, the nine state names, and the
# stacks (upper layer protocols), congestion control algorithms, network
# namespaces, users, processes and cgroup v2 directories this host offers.

# Where cgroup2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on
# hybrid systems), as tcpdrop finds it: the mount point of the first
# cgroup2 line of mountinfo, its octal escapes ("\040") undone.
_tcpdrop_cgroup2()
{
	local mountinfo=${TCPDROP_COMPLETION_MOUNTINFO:-/proc/self/mountinfo}
	local line mount rest

	while IFS= read -r line; do
		rest=${line#* - }
		[[ $rest == "$line" || $rest != cgroup2\ * ]] && continue
		read -r _ _ _ _ mount _ <<<"$line"
		printf '%b\n' "$mount"
		return
	done 2>/dev/null <"$mountinfo"
}

_tcpdrop()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local proc=${TCPDROP_COMPLETION_PROC:-/proc/sys/net/ipv4}

	COMPREPLY=()
	case $prev in
	-s)
		COMPREPLY=($(compgen -W "SYN_SENT SYN_RCVD ESTABLISHED CLOSE_WAIT FIN_WAIT_1 CLOSING LAST_ACK FIN_WAIT_2 TIME_WAIT" -- "$cur"))
		return
		;;
	-S)
		COMPREPLY=($(compgen -W "$(cat "$proc/tcp_available_ulp" 2>/dev/null)" -- "$cur"))
		return
		;;
	-C)
		COMPREPLY=($(compgen -W "$(cat "$proc/tcp_available_congestion_control" 2>/dev/null)" -- "$cur"))
		return
		;;
	-f)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	-N)
		COMPREPLY=($(compgen -W "$(ls /run/netns 2>/dev/null)" -- "$cur") $(compgen -f -- "$cur"))
		return
		;;
	-u)
		COMPREPLY=($(compgen -u -- "$cur"))
		return
		;;
	-p)
		local pid pids=()
		for pid in /proc/[0-9]*; do
			[[ -d $pid ]] && pids+=("${pid#/proc/}")
		done
		COMPREPLY=($(compgen -W "${pids[*]}" -- "$cur"))
		return
		;;
	-c)
		# Directories under the cgroup2 mount, relative to it, with the
		# leading '/' if one was typed (tcpdrop takes either).
		local mount lead= dir
		mount=$(_tcpdrop_cgroup2)
		[[ -n $mount ]] || return
		[[ $cur == /* ]] && lead=/
		while IFS= read -r dir; do
			COMPREPLY+=("$lead${dir#"${mount%/}"/}/")
		done < <(compgen -d -- "${mount%/}/${cur#"${cur%%[!/]*}"}")
		compopt -o nospace -o filenames 2>/dev/null
		return
		;;
	-I)
		# Seconds: nothing to offer.
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-4 -6 -a -C -c -f -h -I -k -l -N -p -S -s -u -V" -- "$cur"))
	fi
}
complete -F _tcpdrop tcpdrop
