import { Route, Routes } from 'react-router-dom';
import { NotAllowed } from '../../components/NotAllowed';
import { useMe } from '../../session';
import { IncidentList } from './IncidentList';
import { IncidentPage } from './IncidentPage';
import { usesStudentForm, mayReport } from './labels';
import { LogConcern } from './LogConcern';
import { Retention } from './Retention';
import { StudentFile } from './StudentFile';
import './incidents.css';

/** The incident log: the list (or a student's report form), logging a concern, one incident. */
export function Incidents() {
  const me = useMe();
  if (!mayReport(me)) {
    return (
      <NotAllowed
        title="Safeguarding incidents"
        message="The incident log is for staff, the designated safeguarding lead and students reporting a concern"
        action="use the incident log"
      />
    );
  }
  return (
    <Routes>
      {/* A student lands on the report form: that is what they come here for. */}
      <Route index element={usesStudentForm(me) ? <LogConcern /> : <IncidentList />} />
      <Route path="mine" element={<IncidentList />} />
      <Route path="new" element={<LogConcern />} />
      <Route path="students/:personId" element={<StudentFile />} />
      <Route path="retention" element={<Retention />} />
      <Route path=":id" element={<IncidentPage />} />
    </Routes>
  );
}
