$GRADBOX check --wrt x -f examples/net.grad "zhat'*z" "W*(zhat .* z .* (1 - z))"
