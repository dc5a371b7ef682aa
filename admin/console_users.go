package admin

// userViews are the templates of this area of the console.
var userViews = []string{}

// userPages are this area's pages of the console.
func (s *Server) userPages() []route {
	return nil
}
