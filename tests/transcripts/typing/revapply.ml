let rec foo () = [42]
and bar () =
  let x = foo () in
  x |> List.fold_left max 0 x;;
let f x = x |> (fun y -> y + 1) 2;;
let g = 3 |> 4;;
let r = ref [];;
let f x = r := x :: !r; x;;
let _ = f 1 |> f;;
let _ = f @@ f 2;;
!r;;
let g = List.map (fun x -> x + 1) @@ [1;2];;
let h = [1;2] |> List.map succ |> List.length;;
