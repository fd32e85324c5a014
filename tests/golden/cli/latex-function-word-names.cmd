$GRADBOX check 'ln + cosH*Max' '\mathit{ln} + \mathit{cosH} \mathit{Max}'
