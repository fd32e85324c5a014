printf 'dim d\nvector x[d]\nh = x\nmatrix h[d, d]\n' > declare-assigned.tmp; $GRADBOX grad -f declare-assigned.tmp --wrt x "sum(h)"; s=$?; rm -f declare-assigned.tmp; exit $s
