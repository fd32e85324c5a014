for l in "y'*y" 'sum(y .* y)' 'sum((y - t).^2)' 'sum(y)' 'tr(W'\''*W)'; do $GRADBOX grad -f examples/net.grad --wrt W "$l"; done
