for v in x W1 b1 W2 b2 W3 b3; do $GRADBOX verify --wrt $v -f examples/resnet.grad 'sum((y3 - t).^2)' | head -1; done
