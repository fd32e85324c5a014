# bash completion for gradbox(1)                        -*- shell-script -*-
#
# Installed as share/bash-completion/completions/gradbox. Commands and
# options are those of `gradbox help`; tests/docs.sh fails when a command
# of the CLI's table is missing here.

_gradbox()
{
	local cur prev cmd opts
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_CWORD:+${COMP_WORDS[COMP_CWORD-1]}}
	local commands='eval print diff check verify smooth run render grad batch grade help'

	COMPREPLY=()
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return 0
	fi
	cmd=${COMP_WORDS[1]}

	case $prev in
	-f | --file | --template | -o)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		return 0 ;;
	--convention)
		COMPREPLY=($(compgen -W 'pytorch jax' -- "$cur"))
		return 0 ;;
	--notation)
		COMPREPLY=($(compgen -W 'T circ rm plain nobold' -- "${cur##*,}"))
		return 0 ;;
	--digits | --order | -j | --wrt | --max-nodes)
		return 0 ;;
	esac

	case $cmd in
	eval)	opts='--digits --convention' ;;
	print)	opts='--latex' ;;
	diff)	opts='--wrt --order --latex --json --steps --notation --convention' ;;
	check)	opts='--wrt --latex' ;;
	verify)	opts='--wrt' ;;
	smooth)	opts='--wrt --latex' ;;
	run)	opts='--latex --json' ;;
	render)	opts='--template -o --no-pdf' ;;
	grad)	opts='--wrt --latex --steps --notation' ;;
	batch)	opts='-j -o --timeout --no-times --convention' ;;
	grade)	opts='-o --json' ;;
	help)
		[ "$COMP_CWORD" -eq 2 ] &&
			COMPREPLY=($(compgen -W "${commands% help}" -- "$cur"))
		return 0 ;;
	*)	return 0 ;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts -f --file --max-nodes --help --" -- "$cur"))
		return 0
	fi
	case $cmd in
	verify | run | render | batch | grade)
		# FILE arguments: expression files first, any file otherwise.
		COMPREPLY=($(compgen -f -X '!*.@(grad|tex)' -- "$cur") \
			$(compgen -d -- "$cur"))
		compopt -o filenames 2>/dev/null ;;
	esac
	return 0
} &&
	complete -F _gradbox gradbox

# ex: filetype=sh
