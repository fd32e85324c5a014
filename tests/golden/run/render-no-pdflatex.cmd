GRADBOX_PDFLATEX=/nonexistent/pdflatex $GRADBOX render -o /tmp/gb-golden-nopdf.tex tests/golden/run/mini.grad --template tests/golden/run/mini.tex; echo "exit $?"; rm -f /tmp/gb-golden-nopdf.tex
