$GRADBOX print "e*e*e*e + l*e*f*l*e*f*r*m*l*v*l*t*e*e - exp(2)^2*e"
