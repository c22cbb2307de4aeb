{ s -> println "step ${s.step}: ${s.loss}" }
