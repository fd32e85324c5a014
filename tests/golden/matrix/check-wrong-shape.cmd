$GRADBOX check --wrt W -f examples/net.grad "zhat'*z" "W'*(zhat .* z .* (1 - z))"
