printf 'dim d\nvector x[d]\nvector h[d]\nh = x\n' > assign-declared.tmp; $GRADBOX grad -f assign-declared.tmp --wrt x "sum(h)"; s=$?; rm -f assign-declared.tmp; exit $s
