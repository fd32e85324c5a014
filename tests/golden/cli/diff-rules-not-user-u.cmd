printf "dim d\nvector u[d]\nmatrix W[d, d]\n" > /tmp/gb-golden-u.grad; $GRADBOX diff -f /tmp/gb-golden-u.grad "relu(x) + sqrt(x)"; rm -f /tmp/gb-golden-u.grad
