$GRADBOX print -- "-x^2 + (-x)^2 + 2^3^2 + a^b^c"
