$GRADBOX eval -f /nonexistent/file x
