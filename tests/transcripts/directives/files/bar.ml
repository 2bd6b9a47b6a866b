let shown = "used";;
let () = print_endline shown
