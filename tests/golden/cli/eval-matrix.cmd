$GRADBOX eval --digits 6 "W*x" "W=[[1, 2], [3, 4]]" "x=[1, -1]"
