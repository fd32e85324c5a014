$GRADBOX check -f examples/activations.grad --wrt x 'elu(x)' '\begin{cases} 1, & \text{if } x > 0 \\ \alpha * e^x, & \text{if } x < 0 \end{cases}'
