for v in x W1 b1 W2 b2 W3 b3; do $GRADBOX grad -f examples/resnet.grad --wrt $v 'sum((y3 - t).^2)'; done
