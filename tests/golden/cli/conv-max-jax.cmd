$GRADBOX eval --convention jax "diff(max(x, 0), x)" x=0
