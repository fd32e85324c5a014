$GRADBOX verify --wrt x -f examples/net.grad "yhat'*y" "zhat'*z" && $GRADBOX verify --wrt W -f examples/net.grad "yhat'*y"
