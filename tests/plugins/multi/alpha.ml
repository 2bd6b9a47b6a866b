let name = "alpha"

let greet who = "hello " ^ who
