# bash completion for tcpdrop(8): options, the nine state names, and the
# stacks (upper layer protocols), congestion control algorithms and
# network namespaces this host offers.

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
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-a -C -f -h -l -N -S -s -V" -- "$cur"))
	fi
}
complete -F _tcpdrop tcpdrop
