$GRADBOX check --wrt x -f examples/net.grad "yhat'*y" '\hat{\mathbf{y}}^T (1 + (\mathbf{W} \odot (\sigma(\mathbf{x}) \odot (1-\sigma(\mathbf{x}))))^T)'
