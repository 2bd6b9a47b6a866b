let base = 100;;
let adder n = fun x -> x + n + base;;
let a5 = adder 5;;
a5 1;;
let make_counter () = let c = ref 0 in fun () -> incr c; !c;;
let c1 = make_counter ();;
c1 (); c1 (); c1 ();;
let rec loop n acc = if n = 0 then acc else loop (n - 1) (acc + 1);;
loop 1000000 0;;
