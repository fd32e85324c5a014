# The bytes are the same for every -j; time_us is the only varying field.
set -- examples/hw3.grad tests/golden/batch/mixed.grad examples/activations.grad
a=$($GRADBOX batch --no-times -j 1 "$@" 2>/dev/null | md5sum)
b=$($GRADBOX batch --no-times -j 3 "$@" 2>/dev/null | md5sum)
c=$($GRADBOX batch -j 2 "$@" 2>/dev/null | sed 's/,"time_us":[0-9]*}$/}/' | md5sum)
[ "$a" = "$b" ] && echo "-j 1 and -j 3: the same bytes"
[ "$a" = "$c" ] && echo "-j 2 with times, less time_us: the same bytes"
$GRADBOX batch --no-times -j 3 "$@" | wc -l
