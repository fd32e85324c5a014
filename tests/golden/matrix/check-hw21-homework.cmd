$GRADBOX check --wrt x -f examples/net.grad "zhat'*z" '\hat{\mathbf{z}}^T (\mathbf{W} \odot (\sigma(\mathbf{x}) \odot (1 - \sigma(\mathbf{x}))))^T'
