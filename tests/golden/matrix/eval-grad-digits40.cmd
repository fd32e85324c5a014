$GRADBOX eval --digits 40 'grad(yhat'\''*(x + sigmoid(W1*x)), W1)' x=[1,2] W1=[[1,-1],[1/2,2]] yhat=[1,-3]
