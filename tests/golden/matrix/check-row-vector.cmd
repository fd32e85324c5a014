$GRADBOX check --wrt x -f examples/net.grad "zhat'*z" "(zhat .* z .* (1 - z))'*W"
