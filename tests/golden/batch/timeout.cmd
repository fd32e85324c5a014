$GRADBOX batch --no-times --timeout 0.5 - <<EOF
show diff(sigmoid(sigmoid(sigmoid(sigmoid(sigmoid(sigmoid(sigmoid(x))))))), x, 8)
show diff(x^2, x)
EOF
