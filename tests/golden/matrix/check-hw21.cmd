$GRADBOX check --wrt x -f examples/net.grad "zhat'*sigmoid(W*x)" "W'*(zhat .* z .* (1 - z))"
