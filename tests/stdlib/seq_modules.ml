(* Seq and the to_seq/of_seq functions, Stack/Queue exceptions, Int and
   Float. *)
let () =
  assert (List.of_seq (String.to_seq "ab") = ['a'; 'b']);
  assert (String.of_seq (List.to_seq ['x'; 'y']) = "xy");
  assert (Array.of_seq (Seq.map (fun x -> x * 2) (Array.to_seq [|1; 2; 3|])) = [|2; 4; 6|]);
  assert (Seq.fold_left ( + ) 0 (List.to_seq [1; 2; 3]) = 6);
  assert (List.of_seq (Seq.filter (fun x -> x > 1) (List.to_seq [1; 2; 3])) = [2; 3]);
  assert (List.of_seq (String.to_seqi "ab") = [(0, 'a'); (1, 'b')]);
  (match Stack.pop (Stack.create ()) with _ -> assert false | exception Stack.Empty -> ());
  (match Queue.take (Queue.create ()) with _ -> assert false | exception Queue.Empty -> ());
  assert (Int.abs (-3) = 3 && Int.max 3 4 = 4 && Int.min 3 4 = 3);
  assert (Float.min 1.0 2.0 = 1.0);
  let b = Buffer.create 1 in
  Buffer.add_string b "abc";
  assert (Buffer.contents b = "abc" && Buffer.length b = 3);
  print_endline "OK"
