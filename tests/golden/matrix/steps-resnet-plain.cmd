$GRADBOX grad --steps --notation plain -f examples/resnet.grad --wrt b2 'sum((y3 - t).^2)'
