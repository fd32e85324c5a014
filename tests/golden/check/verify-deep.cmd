# derivatives through long sums and products kept whole (more than 32
# terms or factors): a 40-deep composition and 40-layer residual stacks
e=x; i=0; while [ $i -lt 40 ]; do e="1/(1 + exp(-($e)))"; i=$((i + 1)); done; $GRADBOX verify "$e"; s=$?
awk 'BEGIN { print "h0 = x"; for (k = 1; k <= 40; k++) print "h" k " = h" (k-1) " + tanh(w" k "*h" (k-1) ")" }' > deep.tmp && $GRADBOX verify --wrt w3 -f deep.tmp h40 || s=1
awk 'BEGIN { print "dim d"; print "vector x[d]"; print "vector yhat[d]"; print "h0 = x"; for (k = 1; k <= 40; k++) { print "matrix W" k "[d, d]"; print "h" k " = h" (k-1) " + tanh(W" k "*h" (k-1) ")" } }' > deep.tmp && $GRADBOX verify --wrt x -f deep.tmp "yhat'*h40" || s=1
rm -f deep.tmp; exit $s
