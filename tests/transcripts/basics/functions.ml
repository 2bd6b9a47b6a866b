let add a b = a + b;;
let inc = add 1;;
inc 41;;
let compose f g x = f (g x);;
let twice f = compose f f;;
twice inc 5;;
let id x = x;;
id "poly";;
let apply_all = List.map (fun x -> x * 2);;
let rec fact n = if n = 0 then 1 else n * fact (n - 1);;
fact 20;;
let rec even n = if n = 0 then true else odd (n - 1)
and odd n = if n = 0 then false else even (n - 1);;
even 10, odd 7;;
let k = fun a b c -> a + b * c;;
k 1 2 3;;
let pair = (fun x -> (x, x)) 3;;
let classify = function 0 -> "zero" | 1 -> "one" | _ -> "many";;
classify 0, classify 1, classify 5;;
