$GRADBOX check --wrt x -f examples/net.grad "yhat'*y" "yhat + W'*(yhat .* sigmoid(W*x) - yhat .* sigmoid(W*x).^2)"
