printf 'show diff(x^3, x)\n\n# a comment\nshow foo(\ncheck sin(x)^2 + cos(x)^2 == 1\nsmooth abs(x)\n' | $GRADBOX batch --no-times -
