$GRADBOX check --wrt x -f examples/net.grad "zhat'*z" '\mathbf{W}^\top(\hat{\mathbf{z}} \odot \mathbf{z} \odot (1 - \mathbf{z}))'
